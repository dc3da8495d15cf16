using Kuroco.Core.Security.SignIn;
using Kuroco.Core.Staff;

namespace Kuroco.Admin.Account;

/// <summary>What the account endpoints use, bound with [AsParameters].</summary>
internal readonly record struct AccountServices(ISignInService SignIn, IStaffService Staff);

/// <summary>The sign-out forms: where to go after signing in again (local URLs only).</summary>
public sealed record SignOutForm(string? ReturnUrl);
