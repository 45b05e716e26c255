using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class StructuredContentTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private DeploymentResult Deploy(string body, string extra = "")
    {
        _repo.Component("app", $$"""
            public class App : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            {{extra}}
            """).LocalEnvironment("app");
        return _repo.Deploy();
    }

    private string Work(string relative) => _repo.Work("app/" + relative);

    private const string JsonData = """
        new
        {
            name = "app",
            port = 8080,
            tags = new[] { "b", "a" },
            db = new Dictionary<string, object> { ["user"] = "x", ["host"] = "h" },
            ratio = 1.5,
            debug = false,
            nothing = (string?)null,
        }
        """;

    [Fact]
    public void Json_is_written_with_sorted_keys_and_four_space_indent_and_a_second_deploy_changes_nothing()
    {
        var body = $"Add(new JsonContent(\"app.json\") {{ Data = {JsonData} }});";
        var first = Deploy(body);
        Assert.True(first.Success, first.ToString());
        Assert.Equal("""
            {
                "db": {
                    "host": "h",
                    "user": "x"
                },
                "debug": false,
                "name": "app",
                "nothing": null,
                "port": 8080,
                "ratio": 1.5,
                "tags": [
                    "b",
                    "a"
                ]
            }

            """, File.ReadAllText(Work("app.json")));
        Assert.Contains(first.Of<FileDiff>(), d => d.Lines.Contains("+    \"port\": 8080,"));
        var mtime = File.GetLastWriteTimeUtc(Work("app.json"));

        var second = Deploy(body);
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Work("app.json")));
    }

    [Fact]
    public void Json_can_be_compact()
    {
        var result = Deploy($"Add(new JsonContent(\"app.json\") {{ Data = {JsonData}, HumanReadable = false }});");
        Assert.True(result.Success, result.ToString() + string.Join("\n", result.Errors));
        Assert.Equal("""{"db":{"host":"h","user":"x"},"debug":false,"name":"app","nothing":null,"port":8080,"ratio":1.5,"tags":["b","a"]}""",
            File.ReadAllText(Work("app.json")));
    }

    [Fact]
    public void Json_from_records_and_lists()
    {
        var result = Deploy("""Add(new JsonContent("servers.json") { Data = new List<Server> { new("a", 1), new("b", 2) } });""",
            "public record Server(string Name, int Port);");
        Assert.True(result.Success, result.ToString() + string.Join("\n", result.Errors));
        Assert.Equal("[\n    {\n        \"Name\": \"a\",\n        \"Port\": 1\n    },\n    {\n        \"Name\": \"b\",\n        \"Port\": 2\n    }\n]\n",
            File.ReadAllText(Work("servers.json")));
    }

    [Fact]
    public void Json_source_with_override_is_deep_merged()
    {
        _repo.Write("components/app/config.json", """
            {"database": {"host": "localhost", "port": 5432, "options": ["a"]}, "debug": true, "name": "demo"}
            """);
        var result = Deploy("""
            Add(new JsonContent("config.json")
            {
                Override = new Dictionary<string, object>
                {
                    ["database"] = new Dictionary<string, object> { ["host"] = "db.example.com", ["options"] = new[] { "b" } },
                    ["debug"] = false,
                },
            });
            """);
        Assert.True(result.Success, result.ToString() + string.Join("\n", result.Errors));
        Assert.Equal("""
            {
                "database": {
                    "host": "db.example.com",
                    "options": [
                        "a",
                        "b"
                    ],
                    "port": 5432
                },
                "debug": false,
                "name": "demo"
            }

            """, File.ReadAllText(Work("config.json")));
    }

    [Fact]
    public void Changed_data_shows_a_diff_and_rewrites_the_file()
    {
        Assert.True(Deploy("""Add(new JsonContent("a.json") { Data = new { port = 1 } });""").Success);
        var result = Deploy("""Add(new JsonContent("a.json") { Data = new { port = 2 } });""");
        Assert.True(result.Success, result.ToString() + string.Join("\n", result.Errors));
        var diff = Assert.Single(result.Of<FileDiff>());
        Assert.Contains("-    \"port\": 1", diff.Lines);
        Assert.Contains("+    \"port\": 2", diff.Lines);
        Assert.Equal("{\n    \"port\": 2\n}\n", File.ReadAllText(Work("a.json")));
    }

    [Fact]
    public void Data_and_source_together_are_a_configuration_error()
    {
        _repo.Write("components/app/config.json", "{}");
        var result = Deploy("""Add(new JsonContent("config.json") { Data = new { a = 1 }, Source = "config.json" });""");
        Assert.False(result.Success);
        Assert.Equal("app: JsonContent('work/app/config.json'): give either Data or a Source, not both", result.Error("ConfigurationError").Message);

        var yaml = Deploy("""Add(new YamlContent("config.yaml") { Data = new { a = 1 }, Source = "config.json" });""");
        Assert.Contains("give either Data or a Source, not both", yaml.Error("ConfigurationError").Message);
    }

    [Fact]
    public void Invalid_json_source_is_reported_with_its_path()
    {
        _repo.Write("components/app/broken.json", "{not json");
        var result = Deploy("""Add(new JsonContent("broken.json"));""");
        Assert.False(result.Success);
        var message = result.Error("ConfigurationError").Message;
        Assert.Contains("broken.json is not valid JSON", message);
    }

    [Fact]
    public void Yaml_is_written_block_style_with_sorted_keys_and_a_second_deploy_changes_nothing()
    {
        const string body = """
            Add(new YamlContent("app.yaml")
            {
                Data = new
                {
                    name = "app",
                    port = 8080,
                    version = "8080",
                    enabled = "yes",
                    tags = new[] { "b", "a" },
                    db = new { host = "h", options = new Dictionary<string, object>() },
                    flag = true,
                    motd = "line1\nline2\n",
                },
            });
            """;
        var first = Deploy(body);
        Assert.True(first.Success, first.ToString());
        Assert.Equal("""
            db:
              host: h
              options: {}
            enabled: 'yes'
            flag: true
            motd: |
              line1
              line2
            name: app
            port: 8080
            tags:
            - b
            - a
            version: '8080'

            """, File.ReadAllText(Work("app.yaml")));
        var mtime = File.GetLastWriteTimeUtc(Work("app.yaml"));

        var second = Deploy(body);
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Work("app.yaml")));
    }

    [Fact]
    public void Yaml_source_with_override_is_deep_merged_and_keeps_scalar_types()
    {
        _repo.Write("components/app/settings.yaml", """
            server:
              port: 80
              hosts: [a]
              tls: off
            name: "007"
            ratio: 0.5
            empty:
            """);
        var result = Deploy("""
            Add(new YamlContent("settings.yaml")
            {
                Override = new Dictionary<string, object> { ["server"] = new { hosts = new[] { "b" }, tls = true } },
            });
            """);
        Assert.True(result.Success, result.ToString() + string.Join("\n", result.Errors));
        Assert.Equal("""
            empty: null
            name: '007'
            ratio: 0.5
            server:
              hosts:
              - a
              - b
              port: 80
              tls: true

            """, File.ReadAllText(Work("settings.yaml")));
    }

    [Fact]
    public void Invalid_yaml_source_is_reported_with_its_path()
    {
        _repo.Write("components/app/broken.yaml", "a: [unclosed\n");
        var result = Deploy("""Add(new YamlContent("broken.yaml"));""");
        Assert.False(result.Success);
        Assert.Contains("broken.yaml is not valid YAML", result.Error("ConfigurationError").Message);
    }

    public void Dispose() => _repo.Dispose();
}
