namespace Kuroco.Admin;

/// <summary>Marker for the staff and profile screens' strings: Resources/StaffResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class StaffResource;
#pragma warning restore CA1812
