using Kuroco.Core.Common;
using Kuroco.Core.Members;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Stands in for <see cref="IMemberAccountActions"/> until the member API's implementation (branch feat/members-api) is
/// registered: registered with TryAdd, so that implementation replaces it whatever the order. Each call refuses with a
/// clear message and changes nothing, so the console's buttons work (and say why nothing was sent) before the merge.
/// </summary>
internal sealed class MemberAccountActionsPending : IMemberAccountActions
{
    private static Result Unavailable() => Result.Failure(ErrorKind.Conflict, MemberConsoleMessages.Get("Members.AccountMailsUnavailable"));

    public Task<Result> SendPasswordResetAsync(Guid memberId, CancellationToken cancellationToken = default) => Task.FromResult(Unavailable());

    public Task<Result> ResendVerificationAsync(Guid memberId, CancellationToken cancellationToken = default) => Task.FromResult(Unavailable());

    public Task<Result<Member>> InviteAsync(MemberInvitation invitation, CancellationToken cancellationToken = default) => Task.FromResult(Unavailable().As<Member>());
}
