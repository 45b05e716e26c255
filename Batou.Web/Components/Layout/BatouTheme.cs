using MudBlazor;

namespace Batou.Web.Components.Layout;

/// <summary>The dashboard's colours and a system font stack (nothing is loaded from the internet).</summary>
public static class BatouTheme
{
    private static readonly string[] Fonts = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e79",
            Secondary = "#5c6f82",
            AppbarBackground = "#1f4e79",
            Background = "#f4f6f9",
            TextSecondary = "#4a5561",   // 7:1 on white: readable secondary text
            // darker than MudBlazor's defaults: white text on these, and these as text on white, keep 4.5:1 (axe)
            Success = "#2e7d32",
            Error = "#c62828",
            Warning = "#9a5700",
            Info = "#0b62b8",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7cb7ef",
            AppbarBackground = "#16263a",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H1 = new H1Typography { FontFamily = Fonts },
            H6 = new H6Typography { FontFamily = Fonts },
        },
    };
}
