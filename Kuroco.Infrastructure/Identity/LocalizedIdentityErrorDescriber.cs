using Kuroco.Core.Common;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Infrastructure.Identity;

/// <summary>Identity's error messages in the user's language (English or Japanese), naming the broken rule.</summary>
internal sealed class LocalizedIdentityErrorDescriber : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), "Identity.DefaultError");
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "Identity.PasswordMismatch");
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), "Identity.PasswordTooShort", length);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), "Identity.PasswordRequiresUniqueChars", uniqueChars);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), "Identity.PasswordRequiresNonAlphanumeric");
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "Identity.PasswordRequiresDigit");
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "Identity.PasswordRequiresLower");
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "Identity.PasswordRequiresUpper");
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), "Staff.EmailTaken");
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), "Staff.EmailTaken");
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), "Staff.EmailInvalid");
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), "Staff.EmailInvalid");
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), "Identity.ConcurrencyFailure");
    public override IdentityError UserLockoutNotEnabled() => Error(nameof(UserLockoutNotEnabled), "Identity.DefaultError");

    private static IdentityError Error(string code, string key, params object[] args) => new()
    {
        Code = code,
        Description = args.Length == 0 ? CoreMessages.Get(key) : CoreMessages.Format(key, args),
    };
}
