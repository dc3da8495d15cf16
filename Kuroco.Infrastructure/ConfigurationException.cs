namespace Kuroco.Infrastructure;

/// <summary>
/// A setting the app cannot start with. The message names the setting and how to fix it, in one
/// sentence: the console's entry point prints it as the only line and exits with code 1.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
