namespace Kuroco.Admin.Audit;

/// <summary>Links from an entity's page to its audit history: the audit page filtered by entity type and id.</summary>
public static class AuditHistory
{
    public static string Url(string entityType, string? entityId)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        return "/audit?entity=" + Uri.EscapeDataString(entityType)
            + (string.IsNullOrEmpty(entityId) ? "" : "&entityId=" + Uri.EscapeDataString(entityId));
    }
}
