namespace Kuroco.Admin.Localization;

/// <summary>The query of <c>/culture/set</c>: the culture to switch to and the local page to return to.</summary>
public sealed record SetCultureRequest(string? Culture, string? ReturnUrl);
