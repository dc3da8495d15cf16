namespace Kuroco.Admin.Security;

/// <summary>The strength meter's answer: a 0–4 score and the policy rules the password breaks, in the request culture.</summary>
public sealed record PasswordCheckResult(int Score, IReadOnlyList<PasswordViolation> Violations);

public sealed record PasswordViolation(string Code, string Message);
