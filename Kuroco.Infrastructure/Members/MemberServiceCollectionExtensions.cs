using Kuroco.Core.Members;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Members;

public static class MemberServiceCollectionExtensions
{
    /// <summary>The members feature's persistence-side services.</summary>
    public static IServiceCollection AddMembers(this IServiceCollection services)
    {
        services.AddSingleton<IMemberPersonalData, MemberPersonalData>();
        return services;
    }
}
