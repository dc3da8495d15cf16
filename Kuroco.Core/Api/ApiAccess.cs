namespace Kuroco.Core.Api;

/// <summary>
/// What an API key may do. A key's access is <see cref="Read"/> (read only) or <see cref="Write"/>
/// (read and write); an endpoint asks for the access it needs. Stored as an int, so never renumber.
/// </summary>
public enum ApiAccess
{
    /// <summary>Read published content. Every key has it.</summary>
    Read = 0,

    /// <summary>Read and write (the management API). Claim value "read-write".</summary>
    Write = 1,
}
