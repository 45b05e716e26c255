using Microsoft.AspNetCore.Authentication;

namespace Batou.Web.Governance.Tokens;

/// <summary>Registers personal API tokens: the bearer scheme behind the cookie-or-token selector, the store and the failure limiter.</summary>
public static class ApiTokenServices
{
    public static AuthenticationBuilder AddBatouApiTokens(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var services = authentication.Services;
        services.AddSingleton(new TokenFailureLimiter(Math.Max(1, configuration.GetValue("Batou:ApiTokens:FailuresPerMinute", 10))));
        services.AddSingleton<ApiTokenStore>();
        authentication.AddPolicyScheme(ApiTokenDefaults.Selector, "cookie or API token", o => o.ForwardDefaultSelector = ApiTokenDefaults.SchemeFor);
        authentication.AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenDefaults.Scheme, "API token", _ => { });
        return authentication;
    }
}
