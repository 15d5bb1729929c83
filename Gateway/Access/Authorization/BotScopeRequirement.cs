using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>The route's bot (<c>{number}</c>) is one of the key's; the admin key sees every bot.</summary>
public sealed class BotScopeRequirement : IAuthorizationRequirement;
