/** What the editor offers when an app declares no agents yet: one manual agent with no tools and no data. */
export const starterAgentsText = `${JSON.stringify(
  {
    version: 1,
    agents: [
      {
        id: 'assistant',
        name: 'Assistant',
        description: 'Describe what this agent does',
        instructions: 'Say what the agent should do with its input, step by step.',
        tools: [],
        dataCollections: { read: [], write: [] },
        triggers: [{ type: 'manual' }],
      },
    ],
    tools: [],
  },
  null,
  2,
)}\n`;
