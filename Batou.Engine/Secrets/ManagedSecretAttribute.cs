namespace Batou;

/// <summary>
/// Marks a <c>string</c> setting of a root component as a managed secret: when no environment,
/// secrets file or Key Vault gives it a value, the first deployment generates one, stores it
/// encrypted (secrets file or Key Vault) and every later deployment reuses it.
/// </summary>
/// <example><code>[ManagedSecret(Length = 32)] public string DbPassword { get; set; } = "";</code></example>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class ManagedSecretAttribute : Attribute
{
    /// <summary>Letters and digits: safe in URLs, shells, config files and connection strings.</summary>
    public const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Number of characters (default 32).</summary>
    public int Length { get; set; } = 32;

    /// <summary>The characters to draw from, uniformly (default <see cref="Alphanumeric"/>).</summary>
    public string Alphabet { get; set; } = Alphanumeric;

    internal string Generate() =>
        System.Security.Cryptography.RandomNumberGenerator.GetString(Alphabet, Length);
}
