namespace HorizonAI.ServiceDefaults.Hosting;

/// <summary>A setting that is missing or malformed; the message names the variable and how to fix it.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
