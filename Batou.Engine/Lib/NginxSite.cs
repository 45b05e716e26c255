namespace Batou.Lib;

/// <summary>
/// An nginx site: <c>/etc/nginx/sites-enabled/&lt;name&gt;.conf</c> (or <c>path</c>) from the template
/// <c>&lt;name&gt;.conf</c> next to the component (or <see cref="CheckedConfig.Content"/>). After a
/// change <see cref="Test"/> (<c>nginx -t</c>) runs; when nginx rejects the configuration the
/// previous file is restored and the deployment fails with nginx's message; otherwise
/// <see cref="Reload"/> runs.
/// </summary>
public class NginxSite(string name, string? path = null) : CheckedConfig(path ?? $"/etc/nginx/sites-enabled/{name}.conf")
{
    [NotASetting] public string Name { get; } = name;

    /// <summary>Validates the whole configuration (the command seam: e.g. <c>nginx -p /srv/nginx -c nginx.conf -t</c>).</summary>
    public string Test { get; set; } = "nginx -t";

    /// <summary>Makes a changed site live.</summary>
    public string Reload { get; set; } = "nginx -s reload";

    protected override string? CheckCommand => Test;

    protected override string? ApplyCommand => Reload;

    protected override string DefaultSource => Name + ".conf";

    protected override string? BreadcrumbValue => Name;
}
