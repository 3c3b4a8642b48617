/** A JSON Schema object, as sent to a model in a tool definition. */
export type JsonSchema = { readonly [key: string]: unknown };

/** A tool as offered to a model: name, description and the JSON Schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: JsonSchema;
}
