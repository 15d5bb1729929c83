using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>A scoped key stays within its own rate limit (the admin key has none).</summary>
public sealed class KeyRateLimitRequirement : IAuthorizationRequirement;
