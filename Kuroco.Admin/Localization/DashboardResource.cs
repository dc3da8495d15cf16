namespace Kuroco.Admin;

/// <summary>Marker for the strings of the dashboard's cards and charts: Resources/DashboardResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class DashboardResource;
#pragma warning restore CA1812
