using MudBlazor;

namespace Kuroco.Admin.Components.Layout;

internal static class KurocoTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f3a5f",
            Secondary = "#c2185b",
            AppbarBackground = "#1f3a5f",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            Secondary = "#f48fb1",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Hiragino Kaku Gothic ProN", "Meiryo", "Noto Sans JP", "sans-serif"],
            },
        },
    };
}
