namespace Kuroco.Core.Common;

/// <summary>Guards against header injection: a value bound for an HTTP or mail header may not break a line.</summary>
public static class HeaderValues
{
    public static bool HasLineBreak(string? value) =>
        value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    /// <summary>Also rejects the Unicode line and paragraph separators and NUL, which some mail libraries fold.</summary>
    public static bool IsSafe(string? value) =>
        value is null || value.AsSpan().IndexOfAny("\r\n\0\u2028\u2029\u0085") < 0;
}
