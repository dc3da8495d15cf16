namespace Kuroco.Admin;

/// <summary>Marker for the console's shared strings: Resources/SharedResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class SharedResource;
#pragma warning restore CA1812
