using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Normalises the phone numbers of an admin route once for every handler: the bot's <c>{number}</c> and the user's
/// <c>{user}</c>. <c>+15551111111</c>, <c>%2B15551111111</c>, <c>15551111111</c> and <c>whatsapp:+15551111111</c> all
/// reach the handler as E.164; anything else is answered <c>400</c> naming the route value before the handler runs.
/// </summary>
public static class RouteNumberFilter
{
    /// <summary>The route value of the bot's number.</summary>
    public const string Parameter = "number";

    /// <summary>The route value of a user's number (a conversation's).</summary>
    public const string UserParameter = "user";

    private static readonly Dictionary<string, Func<ValidationProblem>> Refusals = new(StringComparer.Ordinal)
    {
        [Parameter] = AdminProblems.InvalidNumber,
        [UserParameter] = AdminProblems.InvalidUser,
    };

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var numbers = factory.MethodInfo.GetParameters()
            .Select((parameter, index) => (Name: parameter.Name!, Index: index, parameter.ParameterType))
            .Where(p => p.ParameterType == typeof(string) && Refusals.ContainsKey(p.Name))
            .Select(p => (p.Name, p.Index))
            .ToArray();
        if (numbers.Length == 0)
        {
            return next;
        }

        return invocation =>
        {
            foreach (var (name, index) in numbers)
            {
                // Only what the route holds: a query value of that name is the handler's own.
                if (!invocation.HttpContext.Request.RouteValues.ContainsKey(name))
                {
                    continue;
                }

                if (!PhoneNumberParser.TryNormalize(invocation.Arguments[index] as string, out var e164))
                {
                    return ValueTask.FromResult<object?>(Refusals[name]());
                }

                invocation.Arguments[index] = e164;
            }

            return next(invocation);
        };
    }
}
