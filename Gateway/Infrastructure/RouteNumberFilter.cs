using System.Reflection;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Normalises a route's <c>{number}</c> once for every admin handler: <c>+15551111111</c>, <c>%2B15551111111</c>,
/// <c>15551111111</c> and <c>whatsapp:+15551111111</c> all reach the handler as E.164; anything else is answered
/// <c>400</c> naming <c>number</c> before the handler runs.
/// </summary>
public static class RouteNumberFilter
{
    public const string Parameter = "number";

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var index = Array.FindIndex(factory.MethodInfo.GetParameters(), IsRouteNumber);
        if (index < 0)
        {
            return next;
        }

        return invocation =>
        {
            if (!PhoneNumberParser.TryNormalize(invocation.Arguments[index] as string, out var e164))
            {
                return ValueTask.FromResult<object?>(AdminProblems.InvalidNumber());
            }

            invocation.Arguments[index] = e164;
            return next(invocation);
        };
    }

    private static bool IsRouteNumber(ParameterInfo parameter) => parameter.Name == Parameter && parameter.ParameterType == typeof(string);
}
