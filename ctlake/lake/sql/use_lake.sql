USE lake
