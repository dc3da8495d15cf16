namespace Kuroco.Admin;

/// <summary>Marker for the strings of the system health screen: Resources/MonitoringResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class MonitoringResource;
#pragma warning restore CA1812
