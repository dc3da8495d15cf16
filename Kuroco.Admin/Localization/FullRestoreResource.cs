namespace Kuroco.Admin;

/// <summary>Strings of maintenance mode and the full restore: Resources/FullRestoreResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class FullRestoreResource;
#pragma warning restore CA1812
