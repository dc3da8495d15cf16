namespace Kuroco.Admin;

/// <summary>Marker for the strings of the security overview screen: Resources/SecurityResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class SecurityResource;
#pragma warning restore CA1812
