namespace Kuroco.Admin.Components.Pages.Content.Components;

/// <summary>A value typed into one field of one content language.</summary>
public sealed record FieldValueChange(string Language, string Key, string? Value);
