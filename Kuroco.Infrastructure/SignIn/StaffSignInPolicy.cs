using Kuroco.Core.Security;
using Kuroco.Core.Security.SignIn;

namespace Kuroco.Infrastructure.SignIn;

/// <summary>Staff sign in under the stored password policy (lockout threshold and span, remember me, expiry).</summary>
internal sealed class StaffSignInPolicy(IPasswordPolicyStore policies) : ISignInPolicySource
{
    public async Task<SignInPolicy> GetAsync(CancellationToken cancellationToken = default) =>
        SignInPolicy.From(await policies.GetAsync(cancellationToken));
}
