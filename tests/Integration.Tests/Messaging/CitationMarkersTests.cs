using HorizonAI.Grains.Messaging;

namespace HorizonAI.Integration.Tests.Messaging;

/// <summary>The citation markers models leave in answers from a file search never reach the user.</summary>
public sealed class CitationMarkersTests
{
    [Theory]
    [InlineData("Abrimos a las 9:00【4:0†horario.txt】.", "Abrimos a las 9:00.")]
    [InlineData("El menú del día cuesta $8.900 【12:3†menu.pdf】 e incluye postre.", "El menú del día cuesta $8.900 e incluye postre.")]
    [InlineData("Sí, necesita receta\uE200filecite\uE202turn0file0\uE201.", "Sí, necesita receta.")]
    [InlineData("Dos fuentes【1:0†a.txt】【1:1†b.txt】", "Dos fuentes")]
    [InlineData("Texto sin marcas, con 【corchetes】 sin daga.", "Texto sin marcas, con 【corchetes】 sin daga.")]
    [InlineData("", "")]
    public void MarkersAreRemovedAndTheTextAroundThemKept(string answer, string sent) => Assert.Equal(sent, CitationMarkers.Strip(answer));
}
