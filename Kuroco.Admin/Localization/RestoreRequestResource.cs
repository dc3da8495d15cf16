namespace Kuroco.Admin;

/// <summary>Marker for the strings of the restore-request pages: Resources/RestoreRequestResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class RestoreRequestResource;
#pragma warning restore CA1812
