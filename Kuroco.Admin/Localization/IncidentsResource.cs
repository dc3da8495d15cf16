namespace Kuroco.Admin;

/// <summary>Strings of the incident screens: Resources/IncidentsResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class IncidentsResource;
#pragma warning restore CA1812
