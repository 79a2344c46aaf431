import { PROVIDER } from "../semconv.js";
import { own } from "./values.js";

/** LangChain `ls_provider` values → well-known `gen_ai.provider.name` values. */
const BY_LS_PROVIDER: Record<string, string> = {
  openai: PROVIDER.openai,
  azure: PROVIDER.azureAiOpenai,
  azure_openai: PROVIDER.azureAiOpenai,
  azure_ai: PROVIDER.azureAiInference,
  anthropic: PROVIDER.anthropic,
  bedrock: PROVIDER.awsBedrock,
  amazon_bedrock: PROVIDER.awsBedrock,
  aws: PROVIDER.awsBedrock,
  google_vertexai: PROVIDER.gcpVertexAi,
  vertexai: PROVIDER.gcpVertexAi,
  google_genai: PROVIDER.gcpGemini,
  google: PROVIDER.gcpGenAi,
  groq: PROVIDER.groq,
  mistral: PROVIDER.mistralAi,
  mistralai: PROVIDER.mistralAi,
  cohere: PROVIDER.cohere,
  deepseek: PROVIDER.deepseek,
  xai: PROVIDER.xAi,
  perplexity: PROVIDER.perplexity,
  ibm: PROVIDER.ibmWatsonxAi,
  watsonx: PROVIDER.ibmWatsonxAi,
};

/** LangChain model class names → provider, for models that set no `ls_provider`. */
const BY_CLASS: Record<string, string> = {
  ChatOpenAI: PROVIDER.openai,
  OpenAI: PROVIDER.openai,
  OpenAIEmbeddings: PROVIDER.openai,
  AzureChatOpenAI: PROVIDER.azureAiOpenai,
  AzureOpenAI: PROVIDER.azureAiOpenai,
  ChatAnthropic: PROVIDER.anthropic,
  ChatAnthropicMessages: PROVIDER.anthropic,
  ChatBedrockConverse: PROVIDER.awsBedrock,
  BedrockChat: PROVIDER.awsBedrock,
  ChatVertexAI: PROVIDER.gcpVertexAi,
  ChatGoogleGenerativeAI: PROVIDER.gcpGemini,
  ChatGroq: PROVIDER.groq,
  ChatMistralAI: PROVIDER.mistralAi,
  ChatCohere: PROVIDER.cohere,
  ChatDeepSeek: PROVIDER.deepseek,
  ChatXAI: PROVIDER.xAi,
  ChatPerplexity: PROVIDER.perplexity,
  ChatWatsonx: PROVIDER.ibmWatsonxAi,
  AzureOpenAIEmbeddings: PROVIDER.azureAiOpenai,
  CohereEmbeddings: PROVIDER.cohere,
  BedrockEmbeddings: PROVIDER.awsBedrock,
  VertexAIEmbeddings: PROVIDER.gcpVertexAi,
  GoogleGenerativeAIEmbeddings: PROVIDER.gcpGemini,
  MistralAIEmbeddings: PROVIDER.mistralAi,
};

/** `gen_ai.provider.name` when nothing tells the provider. */
export const UNKNOWN_PROVIDER = "unknown";

/**
 * The `gen_ai.provider.name` of a model run: from `ls_provider` metadata, else the model class,
 * else the `ls_provider` value as given (a custom value the conventions allow), else "unknown".
 */
export function providerName(lsProvider: unknown, className: string | undefined): string {
  if (typeof lsProvider === "string" && lsProvider !== "") {
    return own(BY_LS_PROVIDER, lsProvider.toLowerCase()) ?? lsProvider.toLowerCase();
  }
  if (className !== undefined) {
    const known = own(BY_CLASS, className);
    if (known !== undefined) return known;
  }
  return UNKNOWN_PROVIDER;
}
