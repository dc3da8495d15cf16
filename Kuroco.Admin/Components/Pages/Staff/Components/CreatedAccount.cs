namespace Kuroco.Admin.Components.Pages.Staff.Components;

/// <summary>What the create dialog hands back: the new account and its one-time password, to be shown once.</summary>
internal sealed record CreatedAccount(string UserId, string Email, string OneTimePassword)
{
    // Keeps the password out of logs and debugger displays of the record.
    public override string ToString() => $"CreatedAccount {{ UserId = {UserId}, Email = {Email} }}";
}
