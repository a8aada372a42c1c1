import { fileTools } from '../workspace/file-tools';
import type { BuilderTool } from '../workspace/tool';
import { createAddDependencyTool, type AddDependencyOptions } from './add-dependency-tool';
import { createDoneBuildingTool, type DoneBuildingOptions } from './done-building-tool';

export interface BuilderToolsOptions {
  addDependency?: AddDependencyOptions;
  doneBuilding?: DoneBuildingOptions;
}

/** Every tool the builder agent gets: the file tools, add_dependency and the done_building gate. */
export function createBuilderTools(options: BuilderToolsOptions = {}): BuilderTool<unknown>[] {
  return [...fileTools, createAddDependencyTool(options.addDependency), createDoneBuildingTool(options.doneBuilding)];
}
