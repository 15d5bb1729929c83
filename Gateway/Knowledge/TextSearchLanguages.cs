namespace HorizonAI.Gateway.Knowledge;

/// <summary>
/// The text search configurations stock PostgreSQL ships (<c>\dF</c>): what a bot's <c>knowledge_language</c> may
/// name. <c>simple</c> only lower-cases words; the others also reduce them to their stems and drop stop words.
/// </summary>
public static class TextSearchLanguages
{
    public const string Pattern = "simple|arabic|armenian|basque|catalan|danish|dutch|english|finnish|french|german|greek|hindi|hungarian|"
        + "indonesian|irish|italian|lithuanian|nepali|norwegian|portuguese|romanian|russian|serbian|spanish|swedish|tamil|turkish|yiddish";

    public const string Rule = "knowledge_language must be a PostgreSQL text search configuration: simple, arabic, armenian, basque, catalan, "
        + "danish, dutch, english, finnish, french, german, greek, hindi, hungarian, indonesian, irish, italian, lithuanian, nepali, "
        + "norwegian, portuguese, romanian, russian, serbian, spanish, swedish, tamil, turkish or yiddish";
}
