namespace Kuroco.Admin;

/// <summary>Strings of IP restrictions and rate limits: Resources/NetworkResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class NetworkResource;
#pragma warning restore CA1812
