using Batou.Web.Governance;
using Batou.Web.Governance.Tokens;

namespace Batou.Web.Tests.Tokens;

/// <summary>The token's shape, its hash check and what a scope allows (no dashboard needed).</summary>
public sealed class ApiTokenFormatTests
{
    [Fact]
    public void A_new_token_parses_back_into_its_id_and_secret_and_only_its_secret_matches_the_hash()
    {
        var t = ApiTokenFormat.New();
        Assert.Matches("^batou_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", t.Token);
        Assert.True(ApiTokenFormat.TryParse(t.Token, out var id, out var secret));
        Assert.Equal((t.PublicId, t.Secret), (id, secret));
        var hash = ApiTokenFormat.Hash(secret);
        Assert.DoesNotContain(secret, hash);
        Assert.True(ApiTokenFormat.Matches(secret, hash));
        Assert.False(ApiTokenFormat.Matches(ApiTokenFormat.New().Secret, hash));
        Assert.NotEqual(t.Token, ApiTokenFormat.New().Token);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("batou_", null)]
    [InlineData("batou_0123456789ABCDEF_x", null)]
    [InlineData("batou_0123456789abcdef_short", "0123456789abcdef")]
    [InlineData("github_pat_0123456789abcdef", null)]
    public void Malformed_tokens_do_not_parse_but_keep_their_id_when_the_prefix_did(string token, string? id)
    {
        Assert.False(ApiTokenFormat.TryParse(token, out _, out _));
        Assert.Equal(id, ApiTokenFormat.PublicIdOf(token));
    }

    [Fact]
    public void A_scope_allows_its_actions_on_its_environments_only_and_never_approve_or_administer()
    {
        var scope = new TokenScope([TokenAction.Read, TokenAction.Deploy], ["example/stag*", "other/prod"]);
        Assert.True(scope.Allows("example", "staging", GovernedAction.Deploy));
        Assert.True(scope.Allows("example", "staging", GovernedAction.Preview));
        Assert.True(scope.Allows("other", "prod", GovernedAction.View));
        Assert.False(scope.Allows("example", "production", GovernedAction.Deploy));
        Assert.False(scope.Allows("other", "prod2", GovernedAction.View));
        Assert.False(scope.Allows("example", "staging", GovernedAction.Cancel));
        var all = new TokenScope([TokenAction.Read, TokenAction.Deploy, TokenAction.Cancel], []);
        Assert.True(all.Allows("any", "thing", GovernedAction.Cancel));
        Assert.False(all.Allows("any", "thing", GovernedAction.Approve));
        Assert.False(all.Allows("any", "thing", GovernedAction.Administer));
    }

    [Theory]
    [InlineData("example/staging, example/*", null)]
    [InlineData("", null)]
    [InlineData("staging", "'staging' is not an environment pattern")]
    [InlineData("example/staging example/a/b", "'example/a/b' is not an environment pattern")]
    public void Environment_patterns_are_repository_slash_environment(string text, string? error)
    {
        var (_, e) = TokenScope.ParsePatterns(text);
        if (error is null) Assert.Null(e);
        else Assert.StartsWith(error, e);
    }
}
