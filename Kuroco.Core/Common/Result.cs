using FluentValidation.Results;

namespace Kuroco.Core.Common;

/// <summary>
/// Why an operation did not happen. Every service reports failure with one of these; the HTTP layer maps each
/// kind to one status code in one place (Kuroco.Admin/Api/ResultHttp.cs) and pages show <see cref="Result.Errors"/>.
/// </summary>
public enum ErrorKind
{
    /// <summary>No error: the operation succeeded.</summary>
    None = 0,

    /// <summary>The input breaks a rule; <see cref="Result.FieldErrors"/> says which input when known (HTTP 400).</summary>
    Validation,

    /// <summary>The thing asked for does not exist, or is not visible to the caller (HTTP 404).</summary>
    NotFound,

    /// <summary>The input is valid but the current state refuses it: a duplicate, something still in use, a wrong status (HTTP 409).</summary>
    Conflict,

    /// <summary>The caller's copy is stale: it was changed since it was read (HTTP 412; a concurrency token mismatch).</summary>
    PreconditionFailed,

    /// <summary>The caller may not do this (HTTP 403).</summary>
    Forbidden,

    /// <summary>The input is larger than allowed (HTTP 413).</summary>
    TooLarge,
}

/// <summary>A validation message about one input: <see cref="Field"/> is the input's name as the caller knows it ("Slug", "ja.title").</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// The outcome of a state change: success, or an <see cref="ErrorKind"/> with localized messages. On failure nothing
/// was changed. Services return this (or <see cref="Result{T}"/>) instead of throwing for expected refusals.
/// </summary>
public class Result
{
    private static readonly Result SuccessInstance = new(ErrorKind.None, [], [], null);

    protected Result(ErrorKind error, IReadOnlyList<string> errors, IReadOnlyList<FieldError> fieldErrors, object? errorData)
    {
        if (error == ErrorKind.None && (errors.Count > 0 || fieldErrors.Count > 0 || errorData is not null))
        {
            throw new ArgumentException("A successful result carries no error messages.", nameof(errors));
        }
        Error = error;
        Errors = errors;
        FieldErrors = fieldErrors;
        ErrorData = errorData;
    }

    /// <summary><see cref="ErrorKind.None"/> on success.</summary>
    public ErrorKind Error { get; }

    public bool Succeeded => Error == ErrorKind.None;

    /// <summary>Every localized message, field messages included, in order: what a page shows.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>For <see cref="ErrorKind.Validation"/>: the messages that belong to a named input (a subset of <see cref="Errors"/>).</summary>
    public IReadOnlyList<FieldError> FieldErrors { get; }

    /// <summary>
    /// What a failure carries beside its messages for the caller to act on, e.g. for a <see cref="ErrorKind.Conflict"/>
    /// the things that block the change (a record such as <c>MediaInUse(Usages)</c>; test it with <c>is</c>). The HTTP
    /// layer writes each of its public properties as a problem extension ("usages"). Null when there is none.
    /// </summary>
    public object? ErrorData { get; }

    /// <summary>The messages joined for one line of text (a snackbar, a log).</summary>
    public string Message => string.Join(" ", Errors);

    public static Result Success => SuccessInstance;

    public static Result<T> Ok<T>(T value) => Result<T>.Ok(value);

    public static Result Failure(ErrorKind kind, params string[] messages) => Failure(kind, (IReadOnlyList<string>)messages);

    public static Result Failure(ErrorKind kind, IReadOnlyList<string> messages)
    {
        CheckFailure(kind, messages);
        return new(kind, [.. messages], [], null);
    }

    public static Result Invalid(params string[] messages) => Failure(ErrorKind.Validation, messages);

    public static Result Invalid(IReadOnlyList<FieldError> fieldErrors) => Invalid(fieldErrors, []);

    /// <summary>
    /// A validation failure with messages about named inputs and, optionally, general ones. <see cref="Errors"/> lists
    /// each message once (two inputs breaking the same rule show one line); <see cref="FieldErrors"/> keeps every pair.
    /// </summary>
    public static Result Invalid(IReadOnlyList<FieldError> fieldErrors, IReadOnlyList<string> otherMessages)
    {
        ArgumentNullException.ThrowIfNull(fieldErrors);
        ArgumentNullException.ThrowIfNull(otherMessages);
        var messages = fieldErrors.Select(f => f.Message).Concat(otherMessages).ToArray();
        CheckFailure(ErrorKind.Validation, messages);
        return new(ErrorKind.Validation, [.. messages.Distinct(StringComparer.Ordinal)], [.. fieldErrors], null);
    }

    /// <summary>A FluentValidation outcome as a validation failure keyed by property name (must be invalid).</summary>
    public static Result Invalid(ValidationResult validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (validation.IsValid)
        {
            throw new ArgumentException("The validation result is valid: there is no failure to report.", nameof(validation));
        }
        return Invalid([.. validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))]);
    }

    public static Result NotFound(string message) => Failure(ErrorKind.NotFound, message);

    public static Result Conflict(string message) => Failure(ErrorKind.Conflict, message);

    /// <summary>A conflict that carries what blocks the change (see <see cref="ErrorData"/>).</summary>
    public static Result Conflict(string message, object errorData)
    {
        ArgumentNullException.ThrowIfNull(errorData);
        var conflict = Conflict(message);
        return new(conflict.Error, conflict.Errors, conflict.FieldErrors, errorData);
    }

    public static Result PreconditionFailed(string message) => Failure(ErrorKind.PreconditionFailed, message);

    public static Result Forbidden(string message) => Failure(ErrorKind.Forbidden, message);

    public static Result TooLarge(string message) => Failure(ErrorKind.TooLarge, message);

    /// <summary>This failure as the failure of an operation that would have returned a <typeparamref name="T"/>.</summary>
    public Result<T> As<T>()
    {
        if (Succeeded)
        {
            throw new InvalidOperationException("A success has no value to carry over; use Result.Ok(value).");
        }
        return new Result<T>(Error, Errors, FieldErrors, ErrorData, default);
    }

    public override string ToString() => Succeeded ? "Success" : $"{Error}: {Message}";

    private static void CheckFailure(ErrorKind kind, IReadOnlyList<string> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (kind == ErrorKind.None)
        {
            throw new ArgumentException("A failure needs an error kind other than None.", nameof(kind));
        }
        if (messages.Count == 0 || messages.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A failure needs at least one message, and no empty ones: the user must be told why.", nameof(messages));
        }
    }
}

/// <summary>The outcome of an operation that produces a value on success (the saved item, the created key…).</summary>
public sealed class Result<T> : Result
{
    internal Result(ErrorKind error, IReadOnlyList<string> errors, IReadOnlyList<FieldError> fieldErrors, object? errorData, T? value)
        : base(error, errors, fieldErrors, errorData) => Value = value;

    /// <summary>The value on success; default on failure.</summary>
    public T? Value { get; }

    public static Result<T> Ok(T value) => new(ErrorKind.None, [], [], null, value);

    // The failure factories again, typed, so that a method returning Result<T> reads
    // "return Result<ContentItem>.NotFound(...)" (or "return failure.As<ContentItem>()" for one it got).
    public static new Result<T> Failure(ErrorKind kind, params string[] messages) => Result.Failure(kind, messages).As<T>();

    public static new Result<T> Invalid(params string[] messages) => Result.Invalid(messages).As<T>();

    public static new Result<T> Invalid(IReadOnlyList<FieldError> fieldErrors) => Result.Invalid(fieldErrors).As<T>();

    public static new Result<T> Invalid(ValidationResult validation) => Result.Invalid(validation).As<T>();

    public static new Result<T> NotFound(string message) => Result.NotFound(message).As<T>();

    public static new Result<T> Conflict(string message) => Result.Conflict(message).As<T>();

    public static new Result<T> Conflict(string message, object errorData) => Result.Conflict(message, errorData).As<T>();

    public static new Result<T> PreconditionFailed(string message) => Result.PreconditionFailed(message).As<T>();

    public static new Result<T> Forbidden(string message) => Result.Forbidden(message).As<T>();

    public static new Result<T> TooLarge(string message) => Result.TooLarge(message).As<T>();

    /// <summary>Succeeded with a value: <c>if (result.TryGetValue(out var item))</c>.</summary>
    public bool TryGetValue(out T value)
    {
        value = Value!;
        return Succeeded;
    }
}
