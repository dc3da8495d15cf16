using FluentValidation;

namespace Kuroco.Admin.Components.Shared;

/// <summary>
/// Wires a Core FluentValidation validator into a MudForm: <c>Validation="@MudFluentValidation.For(validator)"</c>
/// with <c>Model</c> set on the form and <c>For</c> on each field, so each field shows its own (localized) errors.
/// </summary>
internal static class MudFluentValidation
{
    public static Func<object, string, Task<IEnumerable<string>>> For<T>(IValidator<T> validator) => async (model, propertyName) =>
    {
        if (model is not T typed)
        {
            return [];
        }
        // The whole model is validated (cheap here) and the errors matched by path prefix: the Core
        // validators nest child validators, which report paths such as "DisplayName.DisplayName".
        var result = await validator.ValidateAsync(typed);
        return ErrorsFor(result, propertyName);
    };

    /// <summary>The messages of one property (or its children) in a validation result.</summary>
    public static IReadOnlyList<string> ErrorsFor(FluentValidation.Results.ValidationResult result, string propertyName)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Errors
            .Where(e => string.Equals(e.PropertyName, propertyName, StringComparison.Ordinal)
                || e.PropertyName.StartsWith(propertyName + ".", StringComparison.Ordinal)
                || e.PropertyName.StartsWith(propertyName + "[", StringComparison.Ordinal))
            .Select(e => e.ErrorMessage)
            .Distinct(StringComparer.Ordinal)];
    }
}
