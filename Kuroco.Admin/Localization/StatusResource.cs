namespace Kuroco.Admin;

/// <summary>Strings of the public status page and its feed: Resources/StatusResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class StatusResource;
#pragma warning restore CA1812
