/** The documented agents.json, as a person would write it in the console (one copy, in protocol's test support). */
export { leadEnricherDocument as exampleAgentsDocument } from '../../../../protocol/src/agents-example.test-support';
