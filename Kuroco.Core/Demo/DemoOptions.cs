using Kuroco.Core.Api;

namespace Kuroco.Core.Demo;

/// <summary>Settings under <c>Kuroco:Demo</c>: demo content for an empty database and a known read key.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Kuroco:Demo";

    /// <summary>Fill an empty database (no content types, no items) with the demo types <c>news</c> and <c>products</c> at start-up.</summary>
    public bool Seed { get; set; }

    /// <summary>When set, this exact value is registered (hashed) as a read key for the demo types. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The password of the 200 demo members (member001@demo.example …) that <see cref="Seed"/> creates, hashed like any member
    /// password. Empty: the demo members get no password and cannot sign in. Read only when the members are first created; never logged.
    /// </summary>
    public string? MemberPassword { get; set; }

    public bool HasApiKey => !string.IsNullOrEmpty(ApiKey);

    /// <summary>Unset, or 20–200 printable ASCII characters without whitespace (no CR/LF: it travels in a header).</summary>
    public bool IsValid() => !HasApiKey || ApiKeySecret.IsChosenWellFormed(ApiKey);

    public const string InvalidApiKeyMessage =
        "Kuroco:Demo:ApiKey must be 20 to 200 printable ASCII characters without spaces, tabs or line breaks (or empty for no demo key).";
}
