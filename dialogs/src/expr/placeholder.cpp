// Placeholder so the component's library has a source until its first real file lands; delete it then.
