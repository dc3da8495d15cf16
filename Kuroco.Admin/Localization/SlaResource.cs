namespace Kuroco.Admin;

/// <summary>Strings of the SLA screens: Resources/SlaResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class SlaResource;
#pragma warning restore CA1812
