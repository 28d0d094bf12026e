"""Social critique (TVPB&GĐXH): tasks, their dossiers and stages, the expert bank and councils."""
