namespace Kuroco.Admin;

/// <summary>Strings of the API keys screen: Resources/ApiResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class ApiResource;
#pragma warning restore CA1812
