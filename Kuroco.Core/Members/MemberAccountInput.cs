using Kuroco.Core.Common;

namespace Kuroco.Core.Members;

/// <summary>The checks of a member's own details, as field errors named by the caller (the API body's names, or a form's).</summary>
public static class MemberAccountInput
{
    public static void CheckEmail(string? email, string field, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!EmailRules.IsValid(email) || email!.Length > Member.EmailMaxLength)
        {
            errors.Add(new FieldError(field, MemberAccountMessages.Get("Member.Email.Invalid")));
        }
    }

    public static void CheckDisplayName(string? displayName, string field, List<FieldError> errors, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(displayName))
        {
            if (required)
            {
                errors.Add(new FieldError(field, MemberAccountMessages.Get("Member.DisplayName.Required")));
            }
            return;
        }
        CheckText(displayName, Member.DisplayNameMaxLength, "Member.Field.DisplayName", field, errors);
    }

    public static void CheckNameKana(string? nameKana, string field, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrEmpty(nameKana))
        {
            CheckText(nameKana, Member.NameKanaMaxLength, "Member.Field.NameKana", field, errors);
        }
    }

    public static void CheckLanguage(string? language, string field, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!MemberLanguages.IsSupported(language))
        {
            errors.Add(new FieldError(field, MemberAccountMessages.Get("Member.Language.Invalid")));
        }
    }

    private static void CheckText(string value, int max, string nameKey, string field, List<FieldError> errors)
    {
        if (value.Trim().Length > max)
        {
            errors.Add(new FieldError(field, MemberAccountMessages.Format("Member.Text.TooLong", MemberAccountMessages.Get(nameKey), max)));
        }
        if (!MemberAccountRules.IsSingleLineText(value))
        {
            errors.Add(new FieldError(field, MemberAccountMessages.Format("Member.Text.SingleLine", MemberAccountMessages.Get(nameKey))));
        }
    }
}
