namespace HorizonAI.Sandbox.Knowledge;

/// <summary>The sentence <see cref="KnowledgeSearch"/> found.</summary>
/// <param name="Source">The index of the text it is in.</param>
/// <param name="Sentence">The sentence, trimmed.</param>
/// <param name="Score">How many distinct query words it shares.</param>
internal sealed record KnowledgeHit(int Source, string Sentence, int Score);
