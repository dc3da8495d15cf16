using Kuroco.Core.Audit;

namespace Kuroco.Tests.Unit.Audit;

public sealed class AuditChangesTests
{
    [Fact]
    public void Diff_lists_only_changed_added_and_removed_fields_in_name_order()
    {
        var before = new Dictionary<string, string?>
        {
            ["DisplayName"] = "Aki",
            ["TimeZoneId"] = "Asia/Tokyo",
            ["Roles"] = "ContentEditor",
            ["Removed"] = "x",
        };
        var after = new Dictionary<string, string?>
        {
            ["DisplayName"] = "Aki",
            ["TimeZoneId"] = "UTC",
            ["Roles"] = "ContentEditor,Operator",
            ["Added"] = "y",
        };

        var changes = AuditChanges.Diff(before, after);

        Assert.Equal(
            [
                new FieldChange("Added", null, "y"),
                new FieldChange("Removed", "x", null),
                new FieldChange("Roles", "ContentEditor", "ContentEditor,Operator"),
                new FieldChange("TimeZoneId", "Asia/Tokyo", "UTC"),
            ],
            changes);
    }

    [Fact]
    public void Diff_of_equal_values_is_empty_and_comparison_is_case_sensitive()
    {
        var same = new Dictionary<string, string?> { ["Email"] = "a@b.jp", ["Name"] = null };
        Assert.Empty(AuditChanges.Diff(same, new Dictionary<string, string?>(same)));

        var changed = AuditChanges.Diff(same, new Dictionary<string, string?> { ["Email"] = "A@b.jp", ["Name"] = null });
        Assert.Equal([new FieldChange("Email", "a@b.jp", "A@b.jp")], changed);
    }

    [Theory]
    [InlineData("Password")]
    [InlineData("PasswordHash")]
    [InlineData("ApiKey")]
    [InlineData("SendGrid.ApiKey")]
    [InlineData("api_key")]
    [InlineData("SecurityStamp")]
    [InlineData("ClientSecret")]
    [InlineData("RefreshToken")]
    [InlineData("RecoveryCodes")]
    [InlineData("AuthenticatorKey")]
    public void Secret_fields_are_masked_in_a_diff(string field)
    {
        var changes = AuditChanges.Diff(
            new Dictionary<string, string?> { [field] = "old-secret-value" },
            new Dictionary<string, string?> { [field] = "new-secret-value" });

        var change = Assert.Single(changes);
        Assert.Equal(new FieldChange(field, AuditChanges.Masked, AuditChanges.Masked), change);
    }

    [Fact]
    public void Masking_keeps_a_missing_value_missing_so_the_auditor_sees_set_or_cleared()
    {
        Assert.Equal(new FieldChange("ApiKey", null, AuditChanges.Masked), AuditChanges.Mask(new FieldChange("ApiKey", null, "k")));
        Assert.Equal(new FieldChange("ApiKey", AuditChanges.Masked, null), AuditChanges.Mask(new FieldChange("ApiKey", "k", null)));
    }

    [Theory]
    [InlineData("DisplayName")]
    [InlineData("Email")]
    [InlineData("Roles")]
    [InlineData("TimeZoneId")]
    public void Ordinary_fields_are_not_masked(string field)
    {
        Assert.False(AuditChanges.IsSecret(field));
        var change = new FieldChange(field, "a", "b");
        Assert.Equal(change, AuditChanges.Mask(change));
    }

    [Fact]
    public void Serialize_masks_secrets_even_when_the_caller_did_not()
    {
        var json = AuditChanges.Serialize([new FieldChange("Password", "hunter2", "correct horse"), new FieldChange("DisplayName", "A", "B")]);

        Assert.NotNull(json);
        Assert.DoesNotContain("hunter2", json);
        Assert.DoesNotContain("correct horse", json);
        Assert.Equal(
            [new FieldChange("Password", AuditChanges.Masked, AuditChanges.Masked), new FieldChange("DisplayName", "A", "B")],
            AuditChanges.Deserialize(json));
    }

    [Fact]
    public void No_changes_serialize_to_null_and_null_deserializes_to_empty()
    {
        Assert.Null(AuditChanges.Serialize(null));
        Assert.Null(AuditChanges.Serialize([]));
        Assert.Empty(AuditChanges.Deserialize(null));
        Assert.Empty(AuditChanges.Deserialize(""));
    }
}
