using Kuroco.Core.Members;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Members;

public static class MemberConsoleServiceCollectionExtensions
{
    /// <summary>The console's member services: the list, edits, bulk actions, groups and the two settings stores.</summary>
    public static IServiceCollection AddMemberConsole(this IServiceCollection services)
    {
        services.AddScoped<MemberAuditWriter>();
        services.AddScoped<IMemberDirectory, MemberDirectory>();
        services.AddScoped<IMemberAdministration, MemberAdministration>();
        services.AddScoped<IMemberBulkActions, MemberBulkActions>();
        services.AddScoped<IMemberGroupService, MemberGroupService>();
        services.AddScoped<IMemberRegistrationSettingsStore, MemberRegistrationSettingsStore>();
        services.AddScoped<IMemberProfileSchemaStore, MemberProfileSchemaStore>();
        return services;
    }
}
