using Kuroco.Core.Members;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Members;

public static class MemberServiceCollectionExtensions
{
    /// <summary>The members feature's persistence-side services.</summary>
    public static IServiceCollection AddMembers(this IServiceCollection services)
    {
        services.AddSingleton<IMemberPersonalData, MemberPersonalData>();
        // Members' passwords: Identity's PBKDF2 hasher with the same options as staff (PasswordHasherOptions), without Identity's stores.
        services.AddSingleton<IPasswordHasher<Member>, PasswordHasher<Member>>();
        services.AddMemberConsole();
        return services;
    }
}
