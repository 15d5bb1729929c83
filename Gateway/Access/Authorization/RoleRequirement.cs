using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>The key's role is at least <see cref="Role"/> (read &lt; operate &lt; manage &lt; the admin key).</summary>
public sealed record RoleRequirement(string Role) : IAuthorizationRequirement;
