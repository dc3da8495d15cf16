namespace Kuroco.Admin.Account;

/// <summary>What passkey-submit.js posts: the credential as JSON, or the browser's error.</summary>
public sealed class PasskeyInput
{
    public string? CredentialJson { get; set; }
    public string? Error { get; set; }
}

public enum PasskeyOperation
{
    Create = 0,
    Request = 1,
}
